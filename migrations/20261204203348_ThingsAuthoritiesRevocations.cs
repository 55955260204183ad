using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cloud.Migrations
{
    /// <inheritdoc />
    public partial class ThingsAuthoritiesRevocations : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "AutoRegister",
                table: "thing_definitions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<bool>(
                name: "Enabled",
                table: "thing_definitions",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "NameRule",
                table: "thing_definitions",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "revocations",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Signature = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false),
                    Reason = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    RevokedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_revocations", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "things",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    ThingDefinitionId = table.Column<long>(type: "INTEGER", nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    AttributesJson = table.Column<string>(type: "TEXT", nullable: false),
                    AutoRegistered = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_things", x => x.Id);
                    table.ForeignKey(
                        name: "FK_things_thing_definitions_ThingDefinitionId",
                        column: x => x.ThingDefinitionId,
                        principalTable: "thing_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "trusted_cas",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    Key = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Certificate = table.Column<byte[]>(type: "BLOB", nullable: false),
                    Fingerprint = table.Column<string>(type: "TEXT", maxLength: 95, nullable: false),
                    Subject = table.Column<string>(type: "TEXT", maxLength: 1024, nullable: false),
                    Enabled = table.Column<bool>(type: "INTEGER", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_trusted_cas", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "thing_signatures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    ThingId = table.Column<long>(type: "INTEGER", nullable: false),
                    Slot = table.Column<int>(type: "INTEGER", nullable: false),
                    Value = table.Column<string>(type: "TEXT", maxLength: 8192, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_thing_signatures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_thing_signatures_things_ThingId",
                        column: x => x.ThingId,
                        principalTable: "things",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "thing_definition_trusted_cas",
                columns: table => new
                {
                    DefinitionsId = table.Column<long>(type: "INTEGER", nullable: false),
                    TrustedCasId = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_thing_definition_trusted_cas", x => new { x.DefinitionsId, x.TrustedCasId });
                    table.ForeignKey(
                        name: "FK_thing_definition_trusted_cas_thing_definitions_DefinitionsId",
                        column: x => x.DefinitionsId,
                        principalTable: "thing_definitions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                    table.ForeignKey(
                        name: "FK_thing_definition_trusted_cas_trusted_cas_TrustedCasId",
                        column: x => x.TrustedCasId,
                        principalTable: "trusted_cas",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_revocations_Signature",
                table: "revocations",
                column: "Signature",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_thing_definition_trusted_cas_TrustedCasId",
                table: "thing_definition_trusted_cas",
                column: "TrustedCasId");

            migrationBuilder.CreateIndex(
                name: "IX_thing_signatures_ThingId_Slot",
                table: "thing_signatures",
                columns: new[] { "ThingId", "Slot" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_thing_signatures_Value",
                table: "thing_signatures",
                column: "Value",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_things_Key",
                table: "things",
                column: "Key",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_things_ThingDefinitionId",
                table: "things",
                column: "ThingDefinitionId");

            migrationBuilder.CreateIndex(
                name: "IX_trusted_cas_Fingerprint",
                table: "trusted_cas",
                column: "Fingerprint",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_trusted_cas_Key",
                table: "trusted_cas",
                column: "Key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "revocations");

            migrationBuilder.DropTable(
                name: "thing_definition_trusted_cas");

            migrationBuilder.DropTable(
                name: "thing_signatures");

            migrationBuilder.DropTable(
                name: "trusted_cas");

            migrationBuilder.DropTable(
                name: "things");

            migrationBuilder.DropColumn(
                name: "AutoRegister",
                table: "thing_definitions");

            migrationBuilder.DropColumn(
                name: "Enabled",
                table: "thing_definitions");

            migrationBuilder.DropColumn(
                name: "NameRule",
                table: "thing_definitions");
        }
    }
}
