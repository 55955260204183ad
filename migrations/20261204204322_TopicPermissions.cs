using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Cloud.Migrations
{
    /// <inheritdoc />
    public partial class TopicPermissions : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "PublishTopicsJson",
                table: "thing_definitions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[\"things/${thing.key}/#\"]");

            migrationBuilder.AddColumn<string>(
                name: "SubscribeTopicsJson",
                table: "thing_definitions",
                type: "TEXT",
                nullable: false,
                defaultValue: "[\"things/${thing.key}/#\"]");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "PublishTopicsJson",
                table: "thing_definitions");

            migrationBuilder.DropColumn(
                name: "SubscribeTopicsJson",
                table: "thing_definitions");
        }
    }
}
